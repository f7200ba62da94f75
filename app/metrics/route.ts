// Served ahead of Next's router by `npm start` (lib/protocol-routes.ts); this serves it under `npm run dev`.
export { metricsEndpoint as GET } from "@/lib/metrics";
