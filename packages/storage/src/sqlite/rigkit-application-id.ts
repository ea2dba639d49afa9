/**
 * The SQLite `application_id` Rigkit writes into its database header ("RGKT"), so a file made
 * by another program is recognised before anything touches it.
 */
export const RIGKIT_APPLICATION_ID = 0x52474b54;
