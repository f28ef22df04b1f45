/**
 * hftbacktest's queue probability functions (docs/backtest-models.md, Queue): prob(front, back) is the probability
 * that a decrease of the displayed size happened BEHIND our order.
 */
export type ProbFunctionName = 'power' | 'power2' | 'power3' | 'log' | 'log2';

export type ProbFunction = (front: number, back: number) => number;

export function probFunction(name: ProbFunctionName, n = 3): ProbFunction {
  switch (name) {
    case 'power':
      // back^n / (back^n + front^n)
      return (front, back) => {
        const b = back ** n;
        return b / (b + front ** n);
      };
    case 'power2':
      // back^n / (back + front)^n
      return (front, back) => back ** n / (back + front) ** n;
    case 'power3':
      // 1 − (front / (front + back))^n
      return (front, back) => 1 - (front / (front + back)) ** n;
    case 'log':
      // ln(1+back) / (ln(1+back) + ln(1+front))
      return (front, back) => {
        const b = Math.log1p(back);
        return b / (b + Math.log1p(front));
      };
    case 'log2':
      // ln(1+back) / ln(1+back+front)
      return (front, back) => Math.log1p(back) / Math.log1p(back + front);
  }
}
