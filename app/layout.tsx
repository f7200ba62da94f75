import type { Metadata } from "next";
import type { CSSProperties, ReactNode } from "react";
import { brand } from "@/lib/brand";
import "./globals.css";

// Every page depends on run-time configuration and the visitor's session.
export const dynamic = "force-dynamic";

export function generateMetadata(): Metadata {
  const { name, iconUrl } = brand();
  return { title: { default: name, template: `%s · ${name}` }, icons: { icon: iconUrl } };
}

export default function RootLayout({ children }: { children: ReactNode }) {
  const { name, color, foreground } = brand();
  const style = { "--brand": color, "--brand-foreground": foreground } as CSSProperties;
  return (
    // data-brand-name lets the client-side error page (app/error.tsx) name the portal.
    <html lang="en" style={style} data-brand-name={name}>
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
