/**
 * A response body as a test reads it: whatever JSON the service under test answered, not
 * checked against a type (the test's own `expect`s are the check). The suites' one `any`:
 * a test names a type (`get<Profile>(…)`) where it wants one.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of the service under test, checked by expect()
export type UncheckedBody = any;

export interface ApiResponse<T = UncheckedBody> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny JSON client for a service under test. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey?: string,
  ) {}

  get<T = UncheckedBody>(path: string, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path, undefined, headers);
  }
  post<T = UncheckedBody>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body, headers);
  }
  put<T = UncheckedBody>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('PUT', path, body, headers);
  }
  delete<T = UncheckedBody>(path: string, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('DELETE', path, undefined, headers);
  }

  /** Sends `raw` as the body as it is (for malformed-JSON tests). */
  async request<T = UncheckedBody>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    raw?: string,
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        ...headers,
      },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}
