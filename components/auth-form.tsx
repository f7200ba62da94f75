"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export type AuthFormField = {
  name: string;
  label: string;
  type: "text" | "email" | "password";
  autoComplete: string;
  required?: boolean;
  hint?: string;
  defaultValue?: string;
};

type Props = {
  action: string;
  fields: AuthFormField[];
  hidden: Record<string, string>;
  submitLabel: string;
  initialError?: string;
};

/**
 * A plain HTML form that works without JavaScript (the server answers 303);
 * with JavaScript it submits in place, so errors appear beside the input the
 * person typed, which stays as it was.
 */
export function AuthForm({ action, fields, hidden, submitLabel, initialError }: Props) {
  const [error, setError] = useState(initialError);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    try {
      const response = await fetch(action, {
        method: "POST",
        body: new URLSearchParams(new FormData(event.currentTarget) as unknown as Record<string, string>),
        headers: { Accept: "application/json" },
      });
      const body = (await response.json()) as { redirectTo?: string; message?: string; fieldErrors?: Record<string, string> };
      if (response.ok && body.redirectTo) {
        window.location.assign(body.redirectTo);
        return;
      }
      setError(body.message ?? "Something went wrong. Try again.");
      setFieldErrors(body.fieldErrors ?? {});
    } catch {
      setError("The portal could not be reached. Check your connection and try again.");
    }
    setPending(false);
  }

  return (
    <form method="post" action={action} onSubmit={submit} className="space-y-4" noValidate>
      {error ? <Alert>{error}</Alert> : null}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {fields.map((field) => (
        <Field
          key={field.name}
          label={field.label}
          name={field.name}
          type={field.type}
          autoComplete={field.autoComplete}
          required={field.required}
          hint={field.hint}
          defaultValue={field.defaultValue}
          error={fieldErrors[field.name]}
        />
      ))}
      <Button type="submit" disabled={pending}>
        {pending ? "Please wait…" : submitLabel}
      </Button>
    </form>
  );
}
