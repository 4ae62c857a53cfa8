// Publish dialog snippets: execute the flow, then poll the task, in four languages, with the real ids filled in.
import type { Json, JsonObject } from './types';

export const KEY_PLACEHOLDER = 'YOUR_SERVER_KEY';

export interface SnippetInput {
  baseUrl: string;
  flowId: number;
  startNodeId: string;
  endNodeId: string;
  resultNodeId: string;
  inputs: JsonObject;
}

export function executeBody(s: SnippetInput): JsonObject {
  return {
    start_node_id: s.startNodeId,
    end_node_id: s.endNodeId,
    result_node_id: s.resultNodeId,
    node_settings: { [s.startNodeId]: { data: s.inputs } },
  };
}

/** Quotes a word for a POSIX shell: inside single quotes, a quote is closed, escaped and reopened. */
export const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * A POSIX shell script (curl and grep; no jq): execute, read the task id from the answer, poll until the task
 * finishes, print it. The task's own "id" and "status" come first in its JSON, before any result field.
 */
export function curl(s: SnippetInput): string {
  return [
    `#!/bin/sh`,
    `# Runs flow ${s.flowId} and prints the finished task: "status" 3 is done, its "result" holds the answer.`,
    `BASE=${shellQuote(s.baseUrl)}`,
    `KEY=${shellQuote(KEY_PLACEHOLDER)}`,
    `task=$(curl -sS -X POST "$BASE/api/v1/scade/flow/${s.flowId}/execute" \\`,
    `  -H "Authorization: Basic $KEY" \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d ${shellQuote(JSON.stringify(executeBody(s)))})`,
    `first() { printf '%s' "$task" | grep -o "\\"$1\\": *[0-9]*" | head -n 1 | grep -o '[0-9]*$'; }`,
    `id=$(first id)`,
    `[ -n "$id" ] || { echo "execute failed: $task" >&2; exit 1; }`,
    `while [ "$(first status)" = 1 ] || [ "$(first status)" = 2 ]; do`,
    `  sleep 1`,
    `  task=$(curl -sS -H "Authorization: Basic $KEY" "$BASE/api/v1/task/$id")`,
    `done`,
    `printf '%s\\n' "$task"`,
  ].join('\n');
}

const pythonLiteral = (value: Json, indent = ''): string => {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : `[\n${value.map((v) => inner + pythonLiteral(v, inner)).join(',\n')},\n${indent}]`;
  }
  const entries = Object.entries(value);
  return entries.length === 0 ? '{}'
    : `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pythonLiteral(v, inner)}`).join(',\n')},\n${indent}}`;
};

/** Python 3 with only the standard library (urllib). */
export function python(s: SnippetInput): string {
  return `# Runs flow ${s.flowId} and prints the finished task (Python 3, standard library only).
import json
import time
import urllib.request

BASE = ${JSON.stringify(s.baseUrl)}
HEADERS = {"Authorization": "Basic ${KEY_PLACEHOLDER}", "Content-Type": "application/json"}


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(BASE + path, data=data, headers=HEADERS, method=method)
    with urllib.request.urlopen(request) as response:
        return json.load(response)


task = call("POST", "/api/v1/scade/flow/${s.flowId}/execute", ${pythonLiteral(executeBody(s))})
while task["status"] in (1, 2):
    time.sleep(0.5)
    task = call("GET", f"/api/v1/task/{task['id']}")
print(json.dumps(task, indent=2))
`;
}

/** JavaScript for Node 18+ (fetch built in), without top-level await so it runs as a .js or an .mjs file. */
export function javascript(s: SnippetInput): string {
  return `// Runs flow ${s.flowId} and prints the finished task: node run-flow.js (Node 18+).
const BASE = ${JSON.stringify(s.baseUrl)};
const headers = { Authorization: 'Basic ${KEY_PLACEHOLDER}', 'Content-Type': 'application/json' };

async function call(method, path, body) {
  const response = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) throw new Error(\`\${method} \${path} answered \${response.status}: \${JSON.stringify(answer)}\`);
  return answer;
}

async function main() {
  let task = await call('POST', '/api/v1/scade/flow/${s.flowId}/execute', ${JSON.stringify(executeBody(s), null, 2).replace(/\n/g, '\n  ')});
  while (task.status === 1 || task.status === 2) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    task = await call('GET', \`/api/v1/task/\${task.id}\`);
  }
  console.log(JSON.stringify(task, null, 2));
}

main().catch((error) => { console.error(error.message); process.exitCode = 1; });
`;
}

/** A Java string literal: JSON's escapes are Java's ones (\\uXXXX only for control characters, which Java allows). */
const javaString = (text: string) => JSON.stringify(text);

/** One Java 11+ file, run with `java RunFlow.java`; written as raw text so its backslashes reach the page. */
export function java(s: SnippetInput): string {
  return String.raw`import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs flow ${s.flowId} and prints the finished task: java RunFlow.java (Java 11+). */
public class RunFlow {
    static final String BASE = ${javaString(s.baseUrl)};
    static final String KEY = "Basic ${KEY_PLACEHOLDER}";
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        String body = ${javaString(JSON.stringify(executeBody(s)))};
        String task = send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/scade/flow/${s.flowId}/execute"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        String id = first(task, "id");
        while (first(task, "status").equals("1") || first(task, "status").equals("2")) {
            Thread.sleep(500);
            task = send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/task/" + id)).GET());
        }
        System.out.println(task);
    }

    static String send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = CLIENT.send(request.header("Authorization", KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** A number field of the task: its own "id" and "status" come first in its JSON (use a JSON library to read more). */
    static String first(String json, String field) {
        Matcher number = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        if (!number.find()) throw new IllegalStateException("no " + field + " in " + json);
        return number.group(1);
    }
}
`;
}

/** One Go file with only the standard library, run with `go run run_flow.go` (Go 1.18+). */
export function golang(s: SnippetInput): string {
  return `// Runs flow ${s.flowId} and prints the finished task: go run run_flow.go (Go 1.18+, standard library only).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

const base = ${JSON.stringify(s.baseUrl)}
const key = "Basic ${KEY_PLACEHOLDER}"

// task holds the fields the loop reads; the whole answer is printed as it came.
type task struct {
	ID     int64 \`json:"id"\`
	Status int   \`json:"status"\`
}

func call(method, path string, body []byte) (task, []byte) {
	request, err := http.NewRequest(method, base+path, bytes.NewReader(body))
	check(err)
	request.Header.Set("Authorization", key)
	request.Header.Set("Content-Type", "application/json")
	response, err := http.DefaultClient.Do(request)
	check(err)
	defer response.Body.Close()
	raw, err := io.ReadAll(response.Body)
	check(err)
	if response.StatusCode/100 != 2 {
		check(fmt.Errorf("%s %s answered %d: %s", method, path, response.StatusCode, raw))
	}
	var t task
	check(json.Unmarshal(raw, &t))
	return t, raw
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	body := []byte(${JSON.stringify(JSON.stringify(executeBody(s)))})
	t, raw := call("POST", "/api/v1/scade/flow/${s.flowId}/execute", body)
	for t.Status == 1 || t.Status == 2 {
		time.Sleep(500 * time.Millisecond)
		t, raw = call("GET", fmt.Sprintf("/api/v1/task/%d", t.ID), nil)
	}
	fmt.Println(string(raw))
}
`;
}

/** Each snippet with how to run it once saved (the file name is the one its own text names, for Java). */
export const SNIPPETS: { id: string; title: string; run: string; make: (s: SnippetInput) => string }[] = [
  { id: 'curl', title: 'curl (shell)', run: 'sh run-flow.sh', make: curl },
  { id: 'python', title: 'Python', run: 'python3 run_flow.py', make: python },
  { id: 'javascript', title: 'JavaScript (Node 18+)', run: 'node run-flow.js', make: javascript },
  { id: 'java', title: 'Java 11+', run: 'java RunFlow.java', make: java },
  { id: 'go', title: 'Go', run: 'go run run_flow.go', make: golang },
];

/** Sample values for a start node's inputs: saved data, else the default, else an example of the type. */
export function sampleInputs(fields: [string, string][], data: JsonObject | undefined, defaults: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [name, type] of fields) {
    if (data && data[name] !== undefined && data[name] !== null) out[name] = data[name];
    else if (defaults[name] !== undefined) out[name] = defaults[name];
    else out[name] = type === 'number' || type === 'integer' ? 0 : type === 'boolean' ? false
      : type === 'object' ? {} : type === 'array' ? [] : 'text';
  }
  return out;
}
