/**
 * Structured log lines (one JSON object per line) that can never carry a pre-shared key: every key the
 * handler has seen is registered, and any occurrence in a line or an error message is masked.
 */

/** Fields every line of one invocation carries. */
export interface LogContext {
  readonly requestId?: string;
  readonly requestType?: string;
  readonly vpnConnectionId?: string;
}

/** The context of a custom-resource event: CloudFormation's request id, the request type, the connection. */
export function logContextOf(event: {
  RequestId: string;
  RequestType: string;
  ResourceProperties?: Record<string, unknown>;
}): LogContext {
  const id = event.ResourceProperties?.VpnConnectionId;
  return { requestId: event.RequestId, requestType: event.RequestType, vpnConnectionId: typeof id === 'string' ? id : undefined };
}

const MASK = '***';

export class Logger {
  private readonly secrets = new Set<string>();

  constructor(
    private readonly context: LogContext,
    private readonly write: (line: string) => void = (line) => console.log(line),
  ) {}

  /** Registers a secret so it is masked wherever it would appear. */
  public addSecret(value: string | undefined): void {
    if (value) this.secrets.add(value);
  }

  /** True when the text holds any registered secret. */
  public holdsSecret(text: string): boolean {
    for (const secret of this.secrets) if (text.includes(secret)) return true;
    return false;
  }

  /** The text with every registered secret masked. */
  public redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join(MASK);
    return out;
  }

  public info(message: string, fields: Record<string, unknown> = {}): void {
    this.emit('info', message, fields);
  }

  public warn(message: string, fields: Record<string, unknown> = {}): void {
    this.emit('warn', message, fields);
  }

  public error(message: string, fields: Record<string, unknown> = {}): void {
    this.emit('error', message, fields);
  }

  /** An error to hand to CloudFormation: the message masked; nothing else of the original (cause, stack) kept. */
  public safeError(err: unknown): Error {
    const message = err instanceof Error ? (err.name === 'Error' ? err.message : `${err.name}: ${err.message}`) : String(err);
    return new Error(this.redact(message));
  }

  private emit(level: string, message: string, fields: Record<string, unknown>): void {
    this.write(this.redact(JSON.stringify({ level, message, ...this.context, ...fields })));
  }
}
