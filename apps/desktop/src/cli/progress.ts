// Progress output: a redrawn one-line bar on a terminal, plain lines (at most one every few
// seconds) when stderr is a file or a pipe.

export class Progress {
  private readonly tty: boolean;
  private lastLine = 0;
  private lastText = '';
  private readonly stream: NodeJS.WriteStream;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.stream = stream;
    this.tty = Boolean(stream.isTTY);
  }

  update(label: string, done: number, total: number | null, extra = ''): void {
    const now = Date.now();
    if (this.tty) {
      const width = 30;
      const ratio = total ? Math.min(1, done / total) : 0;
      const bar = total ? `[${'#'.repeat(Math.round(ratio * width)).padEnd(width, '.')}] ` : '';
      const count = total ? `${done}/${total}` : `${done}`;
      const text = `${label} ${bar}${count}${extra ? `  ${extra}` : ''}`;
      if (text === this.lastText) return;
      this.lastText = text;
      this.stream.write(`\r\x1b[2K${text.slice(0, (this.stream.columns ?? 120) - 1)}`);
      return;
    }
    if (now - this.lastLine < 2_000) return;
    this.lastLine = now;
    this.stream.write(`${label}: ${done}${total ? `/${total}` : ''}${extra ? ` ${extra}` : ''}\n`);
  }

  finish(line: string): void {
    if (this.tty) this.stream.write('\r\x1b[2K');
    this.stream.write(`${line}\n`);
    this.lastText = '';
  }
}
