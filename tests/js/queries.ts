/**
 * Query options shared by the component tests.
 */

/** Text on the page itself, not the copy that @wordpress/a11y speaks to screen readers. */
export const visible = {
	ignore: '.a11y-speak-region, .screen-reader-text, script, style',
};
