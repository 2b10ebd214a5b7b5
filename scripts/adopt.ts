/** `npm run db:adopt -- [--dry-run] [--quarantine]`: adopt the legacy database at DATABASE_URL. */
import { adoptCommand } from '../src/adopt/cli.ts';

process.exitCode = await adoptCommand(process.argv.slice(2));
