import { afterEach, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "./mock-server.js";

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("mock server", () => {
  it("answers chat completions with content JSON and usage", async () => {
    server = await startMockServer({ handler: () => ({ json: { x: 1 }, usage: { inputTokens: 3 } }) });
    const response = await post(`${server.openaiBaseURL}/chat/completions`, {
      model: "m",
      messages: [{ role: "user", content: "12345678" }],
      response_format: {
        type: "json_schema",
        json_schema: { name: "s", schema: { type: "object", additionalProperties: false }, strict: true },
      },
    });
    const body = (await response.json()) as any;
    expect(body.choices[0].message.content).toBe('{"x":1}');
    expect(body.usage).toMatchObject({
      prompt_tokens: 3,
      completion_tokens: 2,
      total_tokens: 5,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    expect(server.log[0]?.responseSchema).toEqual({
      name: "s",
      jsonSchema: { type: "object", additionalProperties: false },
      strict: true,
    });
  });

  it("answers a forced tool with a tool_use block", async () => {
    server = await startMockServer({ handler: () => ({ json: { x: 1 } }) });
    const response = await post(`${server.anthropicBaseURL}/v1/messages`, {
      model: "c",
      max_tokens: 10,
      system: "sys",
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      tools: [{ name: "t", input_schema: { type: "object" } }],
      tool_choice: { type: "tool", name: "t" },
    });
    const body = (await response.json()) as any;
    expect(body.content).toEqual([{ type: "tool_use", id: "toolu_mock_0", name: "t", input: { x: 1 } }]);
    expect(body.stop_reason).toBe("tool_use");
    expect(server.log[0]?.messages).toEqual([
      { role: "system", content: "sys" },
      { role: "user", content: "hi" },
    ]);
  });

  it("scripts faults with their headers, and counts them", async () => {
    const date = new Date("2030-01-01T00:00:05Z");
    const replies = [
      { fault: "rate-limit" as const, retryAfterSeconds: 2 },
      { fault: "rate-limit" as const, retryAfterDate: date },
      { fault: "server-error" as const, status: 502 },
      { fault: "malformed" as const },
      { fault: "reset" as const },
    ];
    server = await startMockServer({ handler: (request) => replies[request.index]! });
    const url = `${server.openaiBaseURL}/chat/completions`;
    const body = { model: "m", messages: [{ role: "user", content: "hi" }] };
    const first = await post(url, body);
    expect([first.status, first.headers.get("retry-after")]).toEqual([429, "2"]);
    const second = await post(url, body);
    expect(second.headers.get("retry-after")).toBe("Tue, 01 Jan 2030 00:00:05 GMT");
    expect((await post(url, body)).status).toBe(502);
    await expect((await post(url, body)).json()).rejects.toThrow(SyntaxError);
    await expect(post(url, body)).rejects.toThrow();
    expect(server.stats).toMatchObject({
      requests: 5,
      answered: 0,
      faults: { "rate-limit": 2, "server-error": 1, malformed: 1, reset: 1 },
    });
  });

  it("tracks requests in flight", async () => {
    server = await startMockServer({ handler: () => ({ text: "ok" }), latencyMs: 40 });
    const url = `${server.openaiBaseURL}/chat/completions`;
    await Promise.all(
      Array.from({ length: 3 }, () =>
        post(url, { model: "m", messages: [{ role: "user", content: "hi" }] }).then((r) => r.json()),
      ),
    );
    expect(server.stats).toMatchObject({ requests: 3, answered: 3, maxInFlight: 3, inFlight: 0 });
    const missing = await fetch(`${server.url}/v1/embeddings`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(404);
  });
});

describe("mock server strictness", () => {
  const openai = (body: unknown) => post(`${server!.openaiBaseURL}/chat/completions`, body);
  const anthropic = (body: unknown) => post(`${server!.anthropicBaseURL}/v1/messages`, body);
  const user = [{ role: "user", content: "hi" }];

  it("refuses what OpenAI refuses, before the handler sees it", async () => {
    let handled = 0;
    server = await startMockServer({
      handler: () => {
        handled += 1;
        return { text: "ok" };
      },
    });
    const strict = (schema: unknown) => ({
      model: "m",
      messages: user,
      response_format: { type: "json_schema", json_schema: { name: "s", strict: true, schema } },
    });
    const refused: [unknown, RegExp][] = [
      [{ model: "m", messages: [] }, /at least one message/],
      [{ messages: user }, /model/],
      [{ model: "m", messages: user, temperature: 3 }, /temperature/],
      [
        { model: "m", messages: user, frobnicate: true },
        /Unrecognized request argument supplied: frobnicate/,
      ],
      [{ model: "m", messages: [{ role: "robot", content: "x" }] }, /role/],
      [
        strict({ type: "object", properties: { a: { type: "string" } }, required: ["a"] }),
        /additionalProperties must be false/,
      ],
      [
        strict({
          type: "object",
          properties: { a: { type: "string" } },
          required: [],
          additionalProperties: false,
        }),
        /required must list every property \(missing a\)/,
      ],
      [
        strict({
          type: "object",
          properties: { a: { type: "string", minLength: 2 } },
          required: ["a"],
          additionalProperties: false,
        }),
        /"minLength" is not supported/,
      ],
      [strict({ type: "array" }), /root of a strict schema must be an object/],
      [
        {
          model: "m",
          messages: user,
          response_format: { type: "json_schema", json_schema: { name: "bad name!", schema: {} } },
        },
        /json_schema.name/,
      ],
    ];
    for (const [body, message] of refused) {
      const response = await openai(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const error = ((await response.json()) as { error: { type: string; message: string } }).error;
      expect(error.type).toBe("invalid_request_error");
      expect(error.message).toMatch(message);
    }
    const garbled = await fetch(`${server.openaiBaseURL}/chat/completions`, {
      method: "POST",
      body: "{oops",
    });
    expect(garbled.status).toBe(400);
    expect(handled).toBe(0);
    expect(server.stats).toMatchObject({
      requests: refused.length + 1,
      rejected: refused.length + 1,
      answered: 0,
    });
    expect(server.rejections).toHaveLength(refused.length + 1);
    expect(server.log).toEqual([]);
  });

  it("refuses what Anthropic refuses, before the handler sees it", async () => {
    server = await startMockServer({ handler: () => ({ text: "ok" }) });
    const base = { model: "c", max_tokens: 10 };
    const block = (text: string) => ({ type: "text", text, cache_control: { type: "ephemeral" } });
    const refused: [unknown, RegExp][] = [
      [{ model: "c", messages: user }, /max_tokens/],
      [{ ...base, messages: [{ role: "system", content: "x" }] }, /role must be "user" or "assistant"/],
      [{ ...base, messages: [{ role: "user", content: "" }] }, /non-empty/],
      [
        { ...base, messages: [{ role: "user", content: [{ type: "text", text: "" }] }] },
        /text content blocks must be non-empty/,
      ],
      [{ ...base, messages: user, temperature: 1.5 }, /temperature/],
      [{ ...base, messages: user, seed: 1 }, /Unrecognized request argument supplied: seed/],
      [
        {
          ...base,
          messages: user,
          tools: [{ name: "t", input_schema: { type: "object" } }],
          tool_choice: { type: "tool", name: "u" },
        },
        /tool_choice names no tool "u"/,
      ],
      [
        { ...base, messages: user, tools: [{ name: "t", input_schema: { type: "array" } }] },
        /input_schema.type must be object/,
      ],
      [
        { ...base, messages: [{ role: "user", content: ["a", "b", "c", "d", "e"].map(block) }] },
        /A maximum of 4 blocks with cache_control/,
      ],
      [
        {
          ...base,
          messages: [
            { role: "user", content: [{ type: "text", text: "x", cache_control: { type: "forever" } }] },
          ],
        },
        /cache_control/,
      ],
    ];
    for (const [body, message] of refused) {
      const response = await anthropic(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const answer = (await response.json()) as { type: string; error: { type: string; message: string } };
      expect(answer).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
      expect(answer.error.message).toMatch(message);
    }
    expect(server.stats.rejected).toBe(refused.length);
  });
});

describe("mock server prompt caches", () => {
  const long = "s".repeat(4 * 1300); // 1,300 tokens of shared source

  it("OpenAI: a repeated prefix of 1,024 tokens or more is cached, in steps of 128", async () => {
    server = await startMockServer({ handler: () => ({ text: "ok" }) });
    const ask = async (tail: string, model = "m") => {
      const response = await post(`${server!.openaiBaseURL}/chat/completions`, {
        model,
        messages: [
          { role: "system", content: long },
          { role: "user", content: tail },
        ],
      });
      return ((await response.json()) as any).usage;
    };
    const first = await ask("question one");
    expect(first.prompt_tokens_details.cached_tokens).toBe(0);
    const second = await ask("question two");
    // The shared part is 1,300 tokens and a bit: the longest step under it is 1,024 + 2 x 128.
    expect(second.prompt_tokens_details.cached_tokens).toBe(1280);
    expect(second.prompt_tokens).toBe(Math.ceil((long.length + "question two".length) / 4));
    // Caches are per model; a short prompt is never cached.
    expect((await ask("question two", "other")).prompt_tokens_details.cached_tokens).toBe(0);
    const short = await post(`${server.openaiBaseURL}/chat/completions`, {
      model: "m",
      messages: [{ role: "user", content: "s".repeat(100) }],
    });
    expect(((await short.json()) as any).usage.prompt_tokens_details.cached_tokens).toBe(0);
  });

  it("Anthropic: a marked prefix is written when first seen and read after; unmarked ones never", async () => {
    server = await startMockServer({ handler: () => ({ text: "ok" }) });
    const ask = async (tail: string, marked = true) => {
      const response = await post(`${server!.anthropicBaseURL}/v1/messages`, {
        model: "c",
        max_tokens: 10,
        system: "Instructions.",
        messages: [
          {
            role: "user",
            content: marked ? [{ type: "text", text: long, cache_control: { type: "ephemeral" } }] : long,
          },
          { role: "user", content: tail },
        ],
      });
      return ((await response.json()) as any).usage;
    };
    const prefix = Math.ceil(("Instructions.".length + long.length) / 4);
    const total = (tail: string) => Math.ceil(("Instructions.".length + long.length + tail.length) / 4);
    const first = await ask("q1");
    expect(first).toMatchObject({ cache_creation_input_tokens: prefix, cache_read_input_tokens: 0 });
    expect(first.input_tokens + first.cache_creation_input_tokens).toBe(total("q1"));
    const second = await ask("q2");
    expect(second).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: prefix });
    expect(second.input_tokens + second.cache_read_input_tokens).toBe(total("q2"));
    const unmarked = await ask("q3", false);
    expect(unmarked).toMatchObject({
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      input_tokens: total("q3"),
    });
  });
});
