import type { ReactNode } from "react";
import { CONFIRM_FIELD, CONFIRM_VALUE } from "@/lib/auth/confirm";

/**
 * A confirmation step that works without JavaScript: the first button
 * (a <summary>) opens the question and the form that really acts, which
 * carries the confirmation field (ConfirmField). `label` is the button's
 * accessible name, `children` the form.
 */
export function ConfirmStep({
  label,
  question,
  children,
  tone = "danger",
}: {
  label: ReactNode;
  question: ReactNode;
  children: ReactNode;
  tone?: "danger" | "neutral";
}) {
  const summaryStyle =
    tone === "danger" ? "border-red-300 text-red-700 hover:bg-red-50" : "border-slate-300 text-slate-800 hover:bg-slate-50";
  return (
    <details className="group inline-block max-w-full align-top">
      <summary
        className={`inline-block cursor-pointer list-none rounded-md border bg-white px-3 py-1.5 text-sm font-medium [&::-webkit-details-marker]:hidden ${summaryStyle}`}
      >
        {label}
      </summary>
      <div role="group" className="mt-2 max-w-sm space-y-2 rounded-md border border-slate-200 bg-white p-3 text-left text-sm shadow-sm">
        <p className="text-slate-700">{question}</p>
        {children}
      </div>
    </details>
  );
}

/** The hidden field that says the post comes from a confirmation step. */
export function ConfirmField() {
  return <input type="hidden" name={CONFIRM_FIELD} value={CONFIRM_VALUE} />;
}

export const confirmButtonClass = "rounded-md bg-red-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-700 disabled:opacity-60";
