export {
  adoptLegacyDatabase,
  AdoptionRefusedError,
  type AdoptOptions,
  type AdoptReport,
  type RowProblem,
  type TableCount,
} from './adopt.ts';
export { adoptCommand } from './cli.ts';
