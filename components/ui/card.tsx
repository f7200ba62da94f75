import type { ReactNode } from "react";

export function Card({ children }: { children: ReactNode }) {
  return <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">{children}</div>;
}
