/** Opening a position: the one write where two bot instances may race for the same slot. */
import { primaryOf, type AnyDb } from '../db.ts';
import { databaseErrorOf, lostDuring, PositionAlreadyOpenError } from '../errors.ts';
import { positions, type NewPosition, type Position } from '../schema/index.ts';
import { assignedIdIssue, validateRow, ValidationError } from '../validation/rows.ts';

/** A position to open: everything but the id and the status, which is 'open'. */
export type NewOpenPosition = Omit<NewPosition, 'id' | 'status'>;

/**
 * Inserts an open position. Bad values fail first with a ValidationError
 * naming each field (the database's own errors often name none). The partial unique index
 * positions_one_open_per_side lets only one of any number of concurrent
 * callers win; the others get PositionAlreadyOpenError, not a raw
 * unique-violation. Values travel as bound parameters only.
 */
export async function openPosition(db: AnyDb, position: NewOpenPosition): Promise<Position> {
  // The type leaves id out, but a JS caller can still pass one.
  if ((position as { id?: unknown }).id !== undefined) throw new ValidationError([assignedIdIssue()]);
  // zod loads on the first call, not with the package.
  const { positionsInsertSchema } = await import('../validation/schemas.ts');
  const values = validateRow(positionsInsertSchema, { ...position, status: 'open' });
  try {
    const [row] = await primaryOf(db).insert(positions).values(values).returning();
    return row!;
  } catch (error) {
    const cause = databaseErrorOf(error);
    if (cause?.code === '23505' && cause.constraint === 'positions_one_open_per_side') {
      throw new PositionAlreadyOpenError(position.symbol, position.exchange, position.side, { cause: error });
    }
    throw lostDuring('openPosition', error) ?? error;
  }
}
