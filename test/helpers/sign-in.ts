/** The `name=value` pair of cookie `name` from Set-Cookie headers, and the whole header line. */
export function setCookieNamed(setCookie: string[] | string | undefined, name: string): { pair: string; line: string } {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const line = list.find((s) => s.startsWith(`${name}=`) && !s.startsWith(`${name}=;`));
  if (!line) throw new Error(`no ${name} cookie set`);
  return { pair: line.split(';')[0], line };
}

/**
 * A browser's cookie store for the authorization server's cookies (all Path=/auth), enough to walk
 * redirects by hand with fetch: what a second browser lacks is exactly this jar.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Takes in a response's Set-Cookie headers (a cleared cookie is forgotten). */
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair.split('=');
      if (value.join('=') === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value.join('='));
    }
  }

  /** The Cookie header for a request to `url` (only /auth paths carry them). */
  header(url: string): string {
    if (!new URL(url).pathname.startsWith('/auth')) return '';
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  has(name: string): boolean {
    return this.cookies.has(name);
  }
}

/** One request as a browser with `jar` makes it, without following redirects. */
export async function browse(jar: CookieJar, url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
  const res = await fetch(url, {
    method: init.method ?? (init.form ? 'POST' : 'GET'),
    redirect: 'manual',
    headers: { cookie: jar.header(url), ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
  });
  jar.take(res);
  return res;
}
