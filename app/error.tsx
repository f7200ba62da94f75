"use client";
/**
 * What a person sees when a page cannot be rendered, most often because the
 * database is not answering for a moment: the portal's frame, what happened
 * in plain words, and a way to try again. Nothing internal is shown.
 */
import { useEffect, useState } from "react";

export default function PageError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const [brandName, setBrandName] = useState("this portal");
  useEffect(() => setBrandName(document.documentElement.dataset.brandName ?? "this portal"), []);
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <div className="w-full max-w-md rounded-2xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="mb-4 text-sm font-semibold text-brand">{brandName}</p>
        <h1 className="mb-3 text-2xl font-semibold tracking-tight">This page could not load</h1>
        <p role="alert" className="text-sm text-slate-700">
          {brandName} could not reach everything it needs just now. This is usually over in a few seconds: try again in a moment.
        </p>
        <div className="mt-6 flex gap-4">
          <button type="button" onClick={reset} className="rounded-lg bg-brand px-4 py-2 text-sm font-medium text-brand-foreground">
            Try again
          </button>
          <a href="/" className="px-1 py-2 text-sm font-medium text-brand underline-offset-2 hover:underline">
            Go to your account
          </a>
        </div>
      </div>
    </main>
  );
}
