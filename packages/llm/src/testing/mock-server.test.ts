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
        json_schema: { name: "s", schema: { type: "object" }, strict: true },
      },
    });
    const body = (await response.json()) as any;
    expect(body.choices[0].message.content).toBe('{"x":1}');
    expect(body.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect(server.log[0]?.responseSchema).toEqual({
      name: "s",
      jsonSchema: { type: "object" },
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
    const body = { model: "m", messages: [] };
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
      Array.from({ length: 3 }, () => post(url, { model: "m", messages: [] }).then((r) => r.json())),
    );
    expect(server.stats).toMatchObject({ requests: 3, answered: 3, maxInFlight: 3, inFlight: 0 });
    const missing = await fetch(`${server.url}/v1/embeddings`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(404);
  });
});
