/**
 * Local Sanity Function emulation: after each committed transaction, every registered document
 * Function whose filter matches a changed document is called in-process with
 * `{context: {clientOptions}, event: {data: <projection>}}`. Like the hosted runtime there is no
 * retry: a throwing handler is logged and recorded, and the reconcile is the safety net.
 */
import {compileSubscription, type Firing} from './subscriptions'
import type {DocumentChange, FunctionContext, LakeFunction, LakeTransaction} from './types'

export interface FunctionInvocation {
  name: string
  documentId: string
  transactionId: string
  operation: string
  ok: boolean
  error?: string
}

export class FunctionRunner {
  readonly invocations: FunctionInvocation[] = []
  private readonly registered = new Map<
    string,
    {fn: LakeFunction; fires: (change: DocumentChange) => Promise<Firing | null>}
  >()
  private readonly scope: {projectId: string; dataset: string}
  private readonly context: () => FunctionContext
  private running: Promise<void> = Promise.resolve()

  constructor(scope: {projectId: string; dataset: string}, context: () => FunctionContext) {
    this.scope = scope
    this.context = context
  }

  register(fn: LakeFunction): void {
    this.registered.set(fn.name, {fn, fires: compileSubscription(fn, this.scope)})
  }

  unregister(name: string): void {
    this.registered.delete(name)
  }

  handle(transaction: LakeTransaction): void {
    if (this.registered.size === 0) return
    this.running = this.running.then(() => this.run(transaction))
  }

  /** Resolves once every handler started so far has finished. */
  idle(): Promise<void> {
    return this.running
  }

  private async run(transaction: LakeTransaction): Promise<void> {
    for (const change of transaction.changes) {
      for (const {fn, fires} of this.registered.values()) {
        const record: FunctionInvocation = {
          name: fn.name,
          documentId: change.id,
          transactionId: transaction.id,
          operation: '',
          ok: true,
        }
        try {
          const firing = await fires(change)
          if (!firing) continue
          record.operation = firing.operation
          await fn.handler({context: this.context(), event: {data: firing.data}})
        } catch (error) {
          record.ok = false
          record.error = error instanceof Error ? error.message : String(error)
          console.error(`content-lake: function ${fn.name} failed on ${change.id}:`, record.error)
        }
        this.invocations.push(record)
      }
    }
  }
}
