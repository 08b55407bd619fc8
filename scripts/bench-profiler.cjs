// Preload for `pnpm bench --profile`: SIGUSR2 starts a CPU profile of this process, the next
// SIGUSR2 writes it to $BENCH_PROFILE_DIR/<n>.cpuprofile — one window per workload, no startup.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_PROFILE_DIR || '.';
const session = new Session();
session.connect();
let running = false;
let n = 0;
process.on('SIGUSR2', () => {
  if (!running) {
    running = true;
    session.post('Profiler.enable', () =>
      session.post('Profiler.setSamplingInterval', { interval: 500 }, () =>
        session.post('Profiler.start'),
      ),
    );
    return;
  }
  running = false;
  session.post('Profiler.stop', (err, res) => {
    n += 1;
    const file = join(dir, `${n}.cpuprofile`);
    writeFileSync(file, JSON.stringify(err ? { error: String(err) } : res.profile));
    writeFileSync(join(dir, `${n}.done`), file);
  });
});
