/** @type {import('next').NextConfig} */

// RFC 9700 §4.16 (no framing) and §4.2 (no referrer leaks) for every page the
// portal renders; protocol endpoints set their own headers.
const pageSecurityHeaders = [
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Content-Type-Options", value: "nosniff" },
];

const nextConfig = {
  poweredByHeader: false,
  // Strict OAuth clients refuse any 3xx from the protocol endpoints, so no trailing-slash redirects.
  skipTrailingSlashRedirect: true,
  // forbidden() answers 403 with app/forbidden.tsx (admin pages and actions).
  experimental: { authInterrupts: true },
  // Native modules are loaded by Node, not bundled.
  serverExternalPackages: [
    "better-sqlite3",
    "@node-rs/argon2",
    "@prisma/adapter-better-sqlite3",
    "pg",
    "@prisma/adapter-pg",
    "pino",
    "prom-client",
    "nodemailer",
  ],
  async headers() {
    // The signed-in screens' forms are server actions, which Next.js refuses when
    // the browser sends `Origin: null`, as it does for a form post under
    // no-referrer without JavaScript. There, same-origin: the origin goes to the
    // portal itself and still nothing to other sites. Pages that carry a
    // one-time link's token in their address keep no-referrer.
    const sameOrigin = [{ key: "Referrer-Policy", value: "same-origin" }];
    const noReferrer = [{ key: "Referrer-Policy", value: "no-referrer" }];
    return [
      { source: "/:path*", headers: pageSecurityHeaders },
      { source: "/account/:path*", headers: sameOrigin },
      { source: "/account", headers: sameOrigin },
      { source: "/dashboard/:path*", headers: sameOrigin },
      { source: "/admin/:path*", headers: sameOrigin },
      { source: "/admin", headers: sameOrigin },
      { source: "/account/email/:path*", headers: noReferrer },
    ];
  },
};

export default nextConfig;
