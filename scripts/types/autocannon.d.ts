// The parts of autocannon's API that scripts/bench.ts uses (the package ships no types).
declare module "autocannon" {
  type RequestSpec = {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (request: RequestSpec, context: Record<string, unknown>) => RequestSpec | null;
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void;
  };
  type Options = {
    url: string;
    connections: number;
    duration?: number;
    amount?: number;
    pipelining?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    requests?: RequestSpec[];
  };
  type Histogram = { p50: number; p99: number; average: number };
  /** `duration` is in seconds. */
  type Result = { requests: Histogram & { total: number }; latency: Histogram; non2xx: number; errors: number; duration: number };
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
