import type { ReactNode } from "react";
import { BrandHeader } from "@/components/brand-header";
import { Card } from "@/components/ui/card";

/** The centred, branded frame of the sign-in and sign-up screens. */
export function AuthShell({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <Card>
        <BrandHeader />
        <h1 className="mb-6 text-2xl font-semibold tracking-tight">
          {title}
          {subtitle ? <span className="mt-1 block text-base font-normal text-slate-600">{subtitle}</span> : null}
        </h1>
        {children}
      </Card>
    </main>
  );
}
