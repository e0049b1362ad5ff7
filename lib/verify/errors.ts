/** Bad input to `verify` (unreadable file, syntax or type error, unknown connection): exit code 2. */
export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyInputError';
  }
}
