"use client";

import { useActionState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { CSRF_FIELD } from "@/lib/auth/csrf-field";

type State = { version: number; message?: string; fieldErrors?: Record<string, string> };

/** A delete form that goes through only after the person types the thing's name (or identifier). */
export function DeleteByTyping(props: {
  remove: (state: never, form: FormData) => Promise<State>;
  csrf: string;
  /** The hidden fields that name what is deleted. */
  hidden: Record<string, string>;
  /** What is deleted, for the button. */
  name: string;
  /** What must be typed. */
  expected: string;
  /** The form field it is typed in, which the action reads. */
  field: string;
  children: ReactNode;
}) {
  // Each dashboard's state type extends State; the action is only handed back its own answers.
  const [state, action, pending] = useActionState(props.remove as (state: State, form: FormData) => Promise<State>, { version: 0 });
  const error = state.fieldErrors?.[props.field];
  return (
    <form action={action} className="space-y-2" noValidate>
      {state.message ? <Alert>{state.message}</Alert> : null}
      <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
      {Object.entries(props.hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <p className="text-sm text-slate-600">{props.children}</p>
      <label htmlFor={props.field} className="block text-sm font-medium text-slate-700">
        Type <span className="font-semibold">{props.expected}</span> to confirm
      </label>
      <input
        id={props.field}
        name={props.field}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${props.field}-error` : undefined}
        className="block w-full max-w-sm rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30 aria-[invalid]:border-red-500"
      />
      {error ? (
        <p id={`${props.field}-error`} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-red-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-700 disabled:opacity-60"
      >
        Delete {props.name}
      </button>
    </form>
  );
}
