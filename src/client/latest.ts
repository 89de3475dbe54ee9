/**
 * At most one request in flight and one waiting: a newer request replaces the waiting one, whose
 * caller gets null, and a result overtaken by a newer request is dropped (null) too. Typing fast
 * sends one check per pause, never a backlog.
 */
interface Pending<Req, Res> {
  req: Req;
  resolve: (r: Res | null) => void;
  reject: (e: unknown) => void;
}

export class LatestOnly<Req, Res> {
  #inFlight = false;
  #waiting: Pending<Req, Res> | undefined;

  constructor(private readonly send: (req: Req) => Promise<Res>) {}

  run(req: Req): Promise<Res | null> {
    return new Promise((resolve, reject) => {
      this.#waiting?.resolve(null);
      this.#waiting = { req, resolve, reject };
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#inFlight || !this.#waiting) return;
    const { req, resolve, reject } = this.#waiting;
    this.#waiting = undefined;
    this.#inFlight = true;
    this.send(req)
      .then(
        (res) => resolve(this.#waiting ? null : res),
        (err: unknown) => (this.#waiting ? resolve(null) : reject(err)),
      )
      .finally(() => {
        this.#inFlight = false;
        this.#pump();
      });
  }
}
