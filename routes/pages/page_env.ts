/** The Hono env of the browser pages: the API's, plus the session and its CSRF token. */
import type { AppEnv } from "../app_env.ts";

/** Variables every page handler may read. */
export interface PageEnv {
  Variables: AppEnv["Variables"] & {
    /** The signed-in user's id, when the session cookie holds a valid token. */
    sessionUserId: string | undefined;
    /** True when a session cookie was sent but its token had expired or was invalid. */
    sessionExpired: boolean;
    /** The token this session's forms carry (see csrf.ts). */
    csrfToken: string;
    /** The signed-in user's name, set by requireSession for the page header. */
    userName: string;
  };
}
