import { Button } from "@/components/ui/button";
import { CSRF_FIELD } from "@/lib/auth/csrf-field";

/** Deny and Authorize, posted with the CSRF token and what names the request (the consent screen, /device). */
export function AuthorizeDecision({ action, csrf, field }: { action: string; csrf: string; field: { name: string; value: string } }) {
  return (
    <form method="post" action={action} className="mt-6 grid grid-cols-2 gap-3">
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      <input type="hidden" name={field.name} value={field.value} />
      <Button type="submit" name="decision" value="deny" variant="secondary">
        Deny
      </Button>
      <Button type="submit" name="decision" value="authorize">
        Authorize
      </Button>
    </form>
  );
}
