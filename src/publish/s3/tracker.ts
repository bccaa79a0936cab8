// lib-storage's Upload does not stop its other part uploaders when one part fails, does not
// cancel requests in flight when aborted, and aborts the multipart upload only after every
// uploader has returned, in a promise done() no longer waits for. This wrapper around the
// client gives us that control: the first failure aborts everything, in-flight requests are
// cancelled, and we learn every UploadId so the caller can abort it once all is quiet.
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

type Send = S3Client['send'];
type AnyCommand = Parameters<Send>[0];

function abortError(): Error {
  return Object.assign(new Error('Upload aborted.'), { name: 'AbortError' });
}

export class RequestTracker {
  /** The first real failure (not a consequence of aborting). */
  firstError: unknown;
  readonly uploadIds = new Set<string>();
  private inflight = 0;
  private waiters: (() => void)[] = [];

  /** `visibleAfter`: the requests that make an object appear under its key (PutObject, CompleteMultipartUpload) wait for it; parts do not. */
  constructor(
    private readonly controller: AbortController,
    private readonly visibleAfter?: Promise<void>,
  ) {}

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  abort(): void {
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  /** A client whose send() is tracked; everything else is the real client. */
  wrap(client: S3Client): S3Client {
    const send = (command: AnyCommand): Promise<unknown> => this.send(client, command);
    return new Proxy(client, {
      get: (target, prop, receiver): unknown => (prop === 'send' ? send : Reflect.get(target, prop, receiver)),
    });
  }

  /** Resolves once no tracked request is in flight. */
  idle(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async send(client: S3Client, command: AnyCommand): Promise<unknown> {
    // lib-storage's own abort is let through: it is exactly what we want to happen.
    if (command instanceof AbortMultipartUploadCommand) return client.send(command);
    if (this.controller.signal.aborted) throw abortError();
    if (this.visibleAfter !== undefined && (command instanceof PutObjectCommand || command instanceof CompleteMultipartUploadCommand)) {
      await this.visibleAfter;
      if (this.controller.signal.aborted) throw abortError();
    }
    const isCreate = command instanceof CreateMultipartUploadCommand;
    this.inflight++;
    try {
      // A create is never cancelled half-way: we must learn its UploadId to abort it.
      const out = await client.send(command, isCreate ? {} : { abortSignal: this.controller.signal });
      if (isCreate) {
        const id = (out as { UploadId?: string }).UploadId;
        if (id !== undefined) this.uploadIds.add(id);
      }
      return out;
    } catch (err) {
      if (!this.controller.signal.aborted) {
        this.firstError ??= err;
        this.controller.abort();
      }
      throw err;
    } finally {
      this.inflight--;
      if (this.inflight === 0) for (const w of this.waiters.splice(0)) w();
    }
  }
}
