/** Jest global teardown: lets go of what global setup started (and only that). */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__NUDGE_TEST_INFRA__?.stop();
}
