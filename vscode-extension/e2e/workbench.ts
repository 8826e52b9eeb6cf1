/**
 * Driving the VS Code workbench in the browser the way a user does: the command palette, the status bar, quick picks,
 * and the webview of the settings panel. Every wait has a bound and a message that says what did not happen.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';

export const STATUS_ITEM_ID = 'ccr-dev.ccr-vscode.ccr.status';

export class Workbench {
  constructor(readonly page: Page) {}

  async waitUntilReady(timeoutMs: number): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** The status bar item of the extension. */
  statusItem(): Locator {
    return this.page.locator(`[id="${STATUS_ITEM_ID}"]`);
  }

  async statusText(): Promise<string> {
    return (
      (await this.statusItem()
        .textContent({ timeout: 2_000 })
        .catch(() => '')) ?? ''
    ).trim();
  }

  /** Waits until the status bar item's text matches; the failure names the last text seen. */
  async waitForStatus(pattern: RegExp, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = await this.statusText();
      if (pattern.test(text)) {
        return text;
      }
      await this.page.waitForTimeout(250);
    }
    throw new Error(`the status bar item did not show ${pattern} within ${timeoutMs / 1000} s; last text: "${text}"`);
  }

  /** Runs a command by its palette title, as a user would: F1, type, Enter. */
  async runCommand(title: string): Promise<void> {
    await this.closeQuickInput();
    await this.page
      .locator('.monaco-workbench')
      .click({ position: { x: 400, y: 10 }, force: true })
      .catch(() => undefined);
    // The palette can close again right after it opens (a webview or a notification taking focus): open it anew.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.page.keyboard.press('F1');
        const input = this.page.locator('.quick-input-widget .quick-input-box input');
        await input.waitFor({ state: 'visible', timeout: 10_000 });
        await input.fill(`>${title}`, { timeout: 5_000 });
        // Wait for the entry to be listed before Enter, or Enter picks whatever was first.
        await this.page
          .locator('.quick-input-widget .monaco-list-row', { hasText: title })
          .first()
          .waitFor({ state: 'visible', timeout: 10_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        await this.closeQuickInput();
      }
    }
    await this.page.keyboard.press('Enter');
  }

  /** Picks the entry of an open quick pick that has this text. */
  async pick(text: string | RegExp, timeoutMs = 10_000): Promise<void> {
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
  }

  /** Picks the entry whose label is exactly this text (descriptions may mention other entries' names). */
  async pickLabel(label: string, timeoutMs = 10_000): Promise<void> {
    const row = this.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) })
      .first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
  }

  async closeQuickInput(): Promise<void> {
    if (
      await this.page
        .locator('.quick-input-widget')
        .isVisible()
        .catch(() => false)
    ) {
      await this.page.keyboard.press('Escape');
    }
  }

  /** The page inside the settings panel's webview (VS Code nests it in two iframes). */
  panel(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  /** Notifications currently shown, for failure reports. */
  async notifications(): Promise<string[]> {
    return this.page
      .locator('.notification-toast .notification-list-item-message')
      .allTextContents()
      .catch(() => []);
  }
}
