import { InitialSchema1795543429461 } from './1795543429461-InitialSchema.js';

/** Every migration, oldest first. Add new ones here. */
export const migrations = [InitialSchema1795543429461];
