import { err, ok, type Result } from './result.js';

export type NibError = 'nib_not_13_digits' | 'nib_not_digits';

const NIB_LENGTH = 13;

export function parseNib(input: string): Result<string, NibError> {
  // People copy NIBs from PDFs and forms that group digits with spaces, dots or dashes.
  if (/[^\d\s.-]/.test(input)) return err('nib_not_digits');
  const digits = input.replace(/\D/g, '');
  return digits.length === NIB_LENGTH ? ok(digits) : err('nib_not_13_digits');
}
