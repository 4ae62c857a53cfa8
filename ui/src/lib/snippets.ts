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

const executeUrl = (s: SnippetInput) => `${s.baseUrl}/api/v1/scade/flow/${s.flowId}/execute`;

export function curl(s: SnippetInput): string {
  return [
    `curl -X POST ${shellQuote(executeUrl(s))} \\`,
    `  -H ${shellQuote(`Authorization: Basic ${KEY_PLACEHOLDER}`)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d ${shellQuote(JSON.stringify(executeBody(s)))}`,
    `# -> {"id": <task id>, "status": 1, ...}; then poll until "status" is 3 and read "result":`,
    `curl -H ${shellQuote(`Authorization: Basic ${KEY_PLACEHOLDER}`)} ${shellQuote(`${s.baseUrl}/api/v1/task/`)}<task id>`,
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

export function python(s: SnippetInput): string {
  return `import time
import requests

BASE = ${JSON.stringify(s.baseUrl)}
HEADERS = {"Authorization": "Basic ${KEY_PLACEHOLDER}"}

task = requests.post(f"{BASE}/api/v1/scade/flow/${s.flowId}/execute", headers=HEADERS, json=${pythonLiteral(executeBody(s))}).json()
while task["status"] in (1, 2):
    time.sleep(0.5)
    task = requests.get(f"{BASE}/api/v1/task/{task['id']}", headers=HEADERS).json()
print(task["status"], task["result"])
`;
}

export function javascript(s: SnippetInput): string {
  return `const BASE = ${JSON.stringify(s.baseUrl)};
const headers = { Authorization: 'Basic ${KEY_PLACEHOLDER}', 'Content-Type': 'application/json' };

let task = await (await fetch(\`\${BASE}/api/v1/scade/flow/${s.flowId}/execute\`, {
  method: 'POST',
  headers,
  body: JSON.stringify(${JSON.stringify(executeBody(s), null, 2).replace(/\n/g, '\n  ')}),
})).json();
while (task.status === 1 || task.status === 2) {
  await new Promise((r) => setTimeout(r, 500));
  task = await (await fetch(\`\${BASE}/api/v1/task/\${task.id}\`, { headers })).json();
}
console.log(task.status, task.result);
`;
}

const javaString = (text: string) => JSON.stringify(text);

export function java(s: SnippetInput): string {
  return `import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

public class RunFlow {
    static final String BASE = ${javaString(s.baseUrl)};
    static final String KEY = "Basic ${KEY_PLACEHOLDER}";

    public static void main(String[] args) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String body = ${javaString(JSON.stringify(executeBody(s)))};
        HttpRequest execute = HttpRequest.newBuilder(URI.create(BASE + "/api/v1/scade/flow/${s.flowId}/execute"))
                .header("Authorization", KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        String task = client.send(execute, HttpResponse.BodyHandlers.ofString()).body();
        // Read "id", "status" and "result" with your JSON library (Jackson, Gson); this sketch uses plain text.
        String id = task.replaceAll("(?s)^\\{\"id\":(\\d+).*", "$1");
        while (task.contains("\"status\":1,") || task.contains("\"status\":2,")) {
            Thread.sleep(500);
            HttpRequest poll = HttpRequest.newBuilder(URI.create(BASE + "/api/v1/task/" + id))
                    .header("Authorization", KEY).build();
            task = client.send(poll, HttpResponse.BodyHandlers.ofString()).body();
        }
        System.out.println(task);
    }
}
`;
}

export const SNIPPETS: { id: string; title: string; make: (s: SnippetInput) => string }[] = [
  { id: 'curl', title: 'curl', make: curl },
  { id: 'python', title: 'Python requests', make: python },
  { id: 'javascript', title: 'JavaScript fetch', make: javascript },
  { id: 'java', title: 'Java HttpClient', make: java },
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
