/** The Hono env of the browser pages: the API's, plus the session and its CSRF token. */
import type { AppEnv } from "../app_env.ts";
import type { PageResultBody } from "../../db/page_results.ts";
import type { ToolbarData } from "../../views/toolbar.ts";
import type { AccessClaims } from "../auth/tokens.ts";

/** Variables every page handler may read. */
export interface PageEnv {
  Variables: AppEnv["Variables"] & {
    /** The signed-in user's id, when the session cookie holds a valid token. */
    sessionUserId: string | undefined;
    /** The session token's claims (after any slide), when sessionUserId is set. */
    sessionClaims: AccessClaims | undefined;
    /** The signed-in user's name, when sessionUserId is set. */
    sessionUserName: string;
    /** True when a session cookie was sent but its token had expired or was invalid. */
    sessionExpired: boolean;
    /** The token this session's forms carry (see csrf.ts). */
    csrfToken: string;
    /** The result of the form post this GET was redirected from (see prg.ts). */
    pageResult: PageResultBody | undefined;
    /** The simulation toolbar's data, on signed-in page GETs (see toolbar.ts). */
    toolbar: ToolbarData | undefined;
    /** The signed-in user's name, set by requireSession for the page header. */
    userName: string;
  };
}
