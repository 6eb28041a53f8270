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

/** A local account's sign-in. */
export interface Credentials {
  username: string;
  password: string;
}

/** Where a card-link click ended: the app's launch URL, and whether the sign-in page was shown on the way. */
export interface LinkClick {
  launchUrl: URL;
  signedIn: boolean;
}

/** A click refused with a page (never a redirect). */
export class ClickRefused extends Error {
  constructor(
    readonly status: number,
    readonly page: string,
  ) {
    super(`click refused with ${status}`);
  }
}

/** The hidden CSRF token of a form page. */
function csrfIn(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no csrf token in page');
  return m[1];
}

/**
 * A browser with `jar` clicks a card link: follows it through Hookwarden, signing in as `as` when the sign-in
 * page comes, to the app's launch URL. Throws ClickRefused with the status and page when a click is refused.
 */
export async function followCardLink(base: string, link: string, as: Credentials | undefined, jar = new CookieJar()): Promise<LinkClick> {
  let url = link;
  let signedIn = false;
  for (let hop = 0; hop < 6; hop++) {
    const res = await browse(jar, url);
    if (res.status !== 303) throw new ClickRefused(res.status, await res.text());
    const location = res.headers.get('location')!;
    if (location === `${base}/auth/sign-in`) {
      if (!as) throw new ClickRefused(401, 'sign-in page, no credentials');
      const page = await (await browse(jar, location)).text();
      const done = await browse(jar, location, { form: { csrf: csrfIn(page), username: as.username, password: as.password } });
      if (done.status !== 303 || done.headers.get('location')!.includes('retry=1')) throw new ClickRefused(done.status, 'sign-in failed');
      signedIn = true;
      url = done.headers.get('location')!;
      continue;
    }
    if (new URL(location).searchParams.has('launch')) return { launchUrl: new URL(location), signedIn };
    url = location;
  }
  throw new Error('too many redirects');
}
