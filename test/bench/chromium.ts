// Debian's Chromium for the browser benchmarks (the same flags as the browser tests' launcher).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export async function launchBrowserAt(): Promise<Browser> {
  const executablePath = candidates.find((p): p is string => Boolean(p && existsSync(p)));
  if (!executablePath)
    throw new Error('Chromium not found: install it with `apt-get install -y chromium`.');
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
}
