/**
 * A one-line progress indicator on stderr. It draws only on a TTY and only
 * once the work has run for a moment, so short runs and piped output stay clean.
 */
export interface Progress {
  update(done: number, detail?: string): void;
  done(message?: string): void;
}

const startDelayMs = 750;
const redrawIntervalMs = 200;

export function createProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  label: string,
  enabled = true,
): Progress {
  const active = enabled && stream.isTTY === true;
  const started = Date.now();
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done, detail) {
      if (!active) return;
      const now = Date.now();
      if (now - started < startDelayMs || now - lastDraw < redrawIntervalMs) return;
      lastDraw = now;
      drawn = true;
      const seconds = (now - started) / 1000;
      const rate = Math.round(done / seconds).toLocaleString("en-US");
      const line = `${label}: ${done.toLocaleString("en-US")} (${rate}/s, ${seconds.toFixed(0)} s)${detail ? ` ${detail}` : ""}`;
      stream.write(`\r\x1b[2K${line}`);
    },
    done(message) {
      if (!active) return;
      if (drawn) stream.write("\r\x1b[2K");
      if (message) stream.write(`${message}\n`);
    },
  };
}

/** Progress through a stage's steps: a new line of progress, labelled by the step, each time the step changes. */
export interface StepProgress {
  readonly update: (step: string, done: number, total?: number) => void;
  done(): void;
}

export function createStepProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  enabled = true,
  prefix = "",
): StepProgress {
  let current: { step: string; progress: Progress } | undefined;
  return {
    update: (step, done, total) => {
      if (current?.step !== step) {
        current?.progress.done();
        current = { step, progress: createProgress(stream, `${prefix}${step}`, enabled) };
      }
      current.progress.update(done, total ? `of ${total.toLocaleString("en-US")}` : undefined);
    },
    done() {
      current?.progress.done();
      current = undefined;
    },
  };
}
