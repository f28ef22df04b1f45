/**
 * aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22+); on Node 20 every Task fails with
 * "Promise.withResolvers is not a function". Defines it where it is missing; import before running.
 */
const P = Promise as unknown as { withResolvers?: unknown };
if (typeof P.withResolvers !== 'function')
  P.withResolvers = <T>() => {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };

export {};
