import { SingleBar } from "cli-progress";

/**
 * Progress of one step on stderr, drawn by cli-progress: done/total with a bar, the rate and the
 * ETA when the total is known, the count and the rate when it is not (a file read as a stream). It
 * draws only on a TTY, so piped output and the tests stay clean.
 */
export interface Progress {
  update(done: number, total?: number): void;
  done(): void;
}

const known = "{label} [{bar}] {value}/{total} | {rate}/s | ETA {eta_formatted}";
const unknown = "{label} {value} | {rate}/s | {duration_formatted}";

export function createProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  label: string,
  enabled = true,
): Progress {
  if (!enabled || stream.isTTY !== true) return { update() {}, done() {} };
  const started = Date.now();
  let bar: SingleBar | undefined;
  const rate = (done: number) => Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
  return {
    update(done, total) {
      if (bar === undefined) {
        bar = new SingleBar({
          stream: stream as NodeJS.WriteStream,
          format: total ? known : unknown,
          barsize: 24,
          hideCursor: false,
          clearOnComplete: true,
          etaBuffer: 50,
          fps: 5,
        });
        bar.start(total || 0, 0, { label, rate: 0 });
      }
      if (total) bar.setTotal(total);
      bar.update(done, { rate: rate(done) });
    },
    done() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** Progress through a stage's steps: a new bar, labelled by the step, each time the step changes. */
export interface StepProgress {
  readonly update: (step: string, done: number, total?: number) => void;
  done(): void;
}

export function createStepProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  enabled = true,
): StepProgress {
  let current: { step: string; progress: Progress } | undefined;
  return {
    update: (step, done, total) => {
      if (current?.step !== step) {
        current?.progress.done();
        current = { step, progress: createProgress(stream, step, enabled) };
      }
      current.progress.update(done, total);
    },
    done() {
      current?.progress.done();
      current = undefined;
    },
  };
}
