import type { GenerationInput } from "@profilekit/runner/stage-kit";
import type { ResponseRecord } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { revisionPairs, revisionSummary } from "./revision-profile.js";

const input: GenerationInput = { id: "input:1", cluster: "cluster:1", task: "summarization", source: "S." };
const round = (
  level: number,
  r: number,
  text: string | null,
  status: ResponseRecord["status"],
  meets?: boolean,
): ResponseRecord => ({
  inputId: "input:1",
  level,
  seed: 1,
  round: r,
  text,
  status,
  ...(meets === undefined ? {} : { critique: { meetsTarget: meets, issues: [] } }),
});

// Level 1: revised twice, longer; level 2: on target at once; level 3: revised once, shorter;
// level 4: its revision failed, the draft stays.
const records = [
  [
    round(1, 0, "a b", "revised", false),
    round(1, 1, "a b c", "revised", false),
    round(1, 2, "a b c d e", "kept"),
    round(2, 0, "x y z", "kept", true),
    round(3, 0, "p q r s", "revised", false),
    round(3, 1, "p q", "kept", true),
    round(4, 0, "m n", "kept", false),
    round(4, 1, null, "failed"),
  ],
];

describe("the revision profile", () => {
  it("pairs every revised response's final text with its first draft, the final preferred", () => {
    const pairs = revisionPairs([input], records, 3);
    expect(pairs.map((p) => p.id)).toEqual(["input:1/1/revision", "input:1/3/revision"]);
    for (const pair of pairs) {
      const final = pair.label === "a" ? pair.a : pair.b;
      const draft = pair.label === "a" ? pair.b : pair.a;
      expect([final, draft]).toEqual(pair.id.includes("/1/") ? ["a b c d e", "a b"] : ["p q", "p q r s"]);
      expect(pair.group).toBe("cluster:1");
    }
  });

  it("counts what the loop did, and says when it mostly lengthens", () => {
    const summary = revisionSummary([input], records, 2, {
      revision: { factors: [{ factor: "length", tau: 0.8 }] },
      human: { factors: [{ factor: "length", tau: 0.1 }] },
    });
    expect(summary).toMatchObject({
      responses: 4,
      revised: 2,
      stoppedEarly: 2,
      longer: 1,
      shorter: 1,
      meanWordChange: 0.5,
    });
    expect(summary.mostlyLengthens).toBe(false);
    expect(summary.note).toBeNull();

    const lengthening = [
      [
        round(1, 0, "a", "revised", false),
        round(1, 1, "a b c", "kept"),
        round(2, 0, "x", "revised", false),
        round(2, 1, "x y", "kept"),
      ],
    ];
    const said = revisionSummary([input], lengthening, 1, {
      revision: { factors: [{ factor: "length", tau: 1 }] },
      human: { factors: [{ factor: "length", tau: 0.05 }] },
    });
    expect(said.mostlyLengthens).toBe(true);
    expect(said.note).toBe(
      "the loop mostly lengthens: 2 of 2 revisions have more words than their first draft (mean +1.5 words); length scores 1.00 in the revision profile and 0.05 in the human one. It may be optimising length rather than what people prefer.",
    );
  });
});
