export interface Ok<T> { ok: true; value: T }
export interface Err<E extends string> { ok: false; error: E }
export type Result<T, E extends string> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E extends string>(error: E): Err<E> => ({ ok: false, error });
