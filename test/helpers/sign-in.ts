/** The `name=value` pair of cookie `name` from Set-Cookie headers, and the whole header line. */
export function setCookieNamed(setCookie: string[] | string | undefined, name: string): { pair: string; line: string } {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const line = list.find((s) => s.startsWith(`${name}=`) && !s.startsWith(`${name}=;`));
  if (!line) throw new Error(`no ${name} cookie set`);
  return { pair: line.split(';')[0], line };
}

/**
 * A browser's cookie store, enough to walk redirects by hand with fetch: cookies by name with their Path
 * (like a browser, not told apart by port, so Hookwarden and a loopback provider share one jar). What a
 * second browser lacks is exactly this jar.
 */
export class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  /** Takes in a response's Set-Cookie headers (a cleared cookie is forgotten). */
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair.split('=');
      const path = attributes.map((a) => a.trim()).find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      if (value.join('=') === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, { value: value.join('='), path });
    }
  }

  /** The Cookie header for a request to `url`: the cookies whose Path covers it. */
  header(url: string): string {
    const { pathname } = new URL(url);
    return [...this.cookies]
      .filter(([, c]) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([k, c]) => `${k}=${c.value}`)
      .join('; ');
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

/** What a click meets at the sign-in page: signs in with `jar` and returns where the browser goes next. */
export type SignIn = (jar: CookieJar, signInUrl: string) => Promise<string>;

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
export function csrfIn(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no csrf token in page');
  return m[1];
}

/** The sign-in page's local account form. */
export function localSignIn(as: Credentials): SignIn {
  return async (jar, url) => {
    const page = await (await browse(jar, url)).text();
    const done = await browse(jar, url, { form: { csrf: csrfIn(page), username: as.username, password: as.password } });
    if (done.status !== 303 || done.headers.get('location')!.includes('retry=1')) throw new ClickRefused(done.status, 'sign-in failed');
    return done.headers.get('location')!;
  };
}

/**
 * A browser with `jar` clicks a card link: follows it through Hookwarden, signing in with `signIn` (or a
 * local account) when the sign-in page comes, to the app's launch URL. Throws ClickRefused with the status
 * and page when a click is refused.
 */
export async function followCardLink(base: string, link: string, as: Credentials | SignIn | undefined, jar = new CookieJar()): Promise<LinkClick> {
  let url = link;
  let signedIn = false;
  for (let hop = 0; hop < 6; hop++) {
    const res = await browse(jar, url);
    if (res.status !== 303) throw new ClickRefused(res.status, await res.text());
    const location = res.headers.get('location')!;
    if (location === `${base}/auth/sign-in`) {
      if (!as) throw new ClickRefused(401, 'sign-in page, no credentials');
      url = await (typeof as === 'function' ? as : localSignIn(as))(jar, location);
      signedIn = true;
      continue;
    }
    if (new URL(location).searchParams.has('launch')) return { launchUrl: new URL(location), signedIn };
    url = location;
  }
  throw new Error('too many redirects');
}
