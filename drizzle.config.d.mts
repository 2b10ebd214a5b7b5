/** The shipped drizzle-kit config (see drizzle.config.mjs). */
declare const config: {
  dialect: 'postgresql';
  /** Absolute path of the package's drizzle/ folder. */
  out: string;
  migrations: { schema: string; table: string };
  driver?: 'pglite';
  dbCredentials: { url: string };
};
export default config;
