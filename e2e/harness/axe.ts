/**
 * Accessibility scan of a part of the page with axe-core: its source is injected into the page
 * (once per document) and run against one selector, so a journey checks the plugin's own UI,
 * not the Studio around it. Serious and critical violations fail; others are only reported.
 */
import axe from 'axe-core'
import type {Page} from 'playwright-core'

/** One violation as the journeys report it. */
export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  /** CSS selectors of the offending nodes, each with the start of its markup. */
  targets: string[]
}

const BLOCKING = new Set(['serious', 'critical'])

/** Runs axe on the elements matching `selector` (which must exist) and returns its violations. */
export async function scanAccessibility(page: Page, selector: string): Promise<AxeViolation[]> {
  await page.locator(selector).first().waitFor()
  const injected = await page.evaluate(() => 'axe' in window)
  if (!injected) await page.addScriptTag({content: axe.source})
  return page.evaluate(async (include) => {
    const runner = (window as unknown as {axe: typeof axe}).axe
    const result = await runner.run(
      {include: [include]},
      {
        resultTypes: ['violations'],
        runOnly: {
          type: 'tag',
          values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
        },
      },
    )
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      // The selector and the element's own markup: styled-components' class names alone say
      // little about which part of the plugin it is.
      targets: violation.nodes.map(
        (node) => `${node.target.join(' ')}\n      ${node.html.slice(0, 200)}`,
      ),
    }))
  }, selector)
}

/**
 * Fails with a readable list when `selector` has serious or critical violations; returns the
 * milder ones so a journey may log them.
 */
export async function expectAccessible(
  page: Page,
  selector: string,
  what: string,
): Promise<AxeViolation[]> {
  const violations = await scanAccessibility(page, selector)
  const blocking = violations.filter((v) => v.impact !== null && BLOCKING.has(v.impact))
  if (blocking.length) {
    const lines = blocking.map(
      (v) => `  ${v.impact} ${v.id}: ${v.help}\n    ${v.targets.slice(0, 5).join('\n    ')}`,
    )
    throw new Error(
      `${what} has ${blocking.length} serious/critical accessibility violations:\n${lines.join('\n')}`,
    )
  }
  return violations
}
