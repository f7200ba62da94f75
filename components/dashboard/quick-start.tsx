import { CopyButton } from "@/components/ui/copy-button";
import type { Snippets } from "@/lib/oauth/snippets";

const LANGUAGES: { key: keyof Snippets; label: string; file: string }[] = [
  { key: "curl", label: "curl", file: "sign-in.sh" },
  { key: "node", label: "Node (openid-client)", file: "sign-in.mjs" },
  { key: "nextjs", label: "Next.js (Auth.js)", file: "auth.ts" },
  { key: "python", label: "Python (Authlib)", file: "sign_in.py" },
];

/** Ready code with this app's values, one language at a time (plain <details>, no JavaScript needed to read it). */
export function QuickStart({ snippets }: { snippets: Snippets }) {
  return (
    <div className="space-y-2">
      {LANGUAGES.map((language, index) => (
        <details key={language.key} open={index === 0} className="rounded-md border border-slate-200">
          <summary className="cursor-pointer px-3 py-2 text-sm font-medium">
            {language.label} <span className="font-normal text-slate-500">· {language.file}</span>
          </summary>
          <div className="border-t border-slate-200 p-3">
            <div className="mb-2 flex justify-end">
              <CopyButton value={snippets[language.key]} label={`Copy the ${language.label} code`} />
            </div>
            <pre
              tabIndex={0}
              role="region"
              aria-label={`${language.label} code`}
              className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100"
              data-testid={`snippet-${language.key}`}
            >
              {snippets[language.key]}
            </pre>
          </div>
        </details>
      ))}
    </div>
  );
}
