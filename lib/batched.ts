/**
 * Requests that arrive together, served by one call. On PostgreSQL every
 * statement is a round trip and a turn of the server's own CPU: under load,
 * one statement for the requests of a moment costs far less than one each.
 * The calls made in one turn of the event loop, and those made while a batch
 * is under way, form the next batch; each caller gets its own answer, or the
 * batch's error.
 */
export function batched<Input, Output>(serve: (inputs: Input[]) => Promise<Output[]>): (input: Input) => Promise<Output> {
  type Member = { input: Input; resolve: (output: Output) => void; reject: (error: unknown) => void };
  const waiting: Member[] = [];
  let serving: Promise<unknown> | undefined;

  async function serveWaiting(): Promise<void> {
    const batch = waiting.splice(0);
    const outputs = serve(batch.map((member) => member.input));
    serving = outputs;
    try {
      const answered = await outputs;
      for (const [index, member] of batch.entries()) member.resolve(answered[index]!);
    } catch (error) {
      for (const member of batch) member.reject(error);
    } finally {
      serving = undefined;
    }
  }

  return (input) =>
    new Promise<Output>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      if (waiting.length > 1) return;
      const start = () => setImmediate(() => void serveWaiting());
      if (serving) serving.then(start, start);
      else start();
    });
}
