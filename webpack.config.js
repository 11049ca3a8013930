/**
 * wp-scripts' webpack configuration with two changes that keep the page's first script small
 * (issue #20, docs/benchmarks.md):
 * - the public path of the lazy chunks is set by src/public-path.ts from the page's own script
 *   element, instead of webpack's generic detection ("publicPath: auto");
 * - the minified scripts keep no comments. wp-scripts keeps the translators' comments for
 *   `wp i18n make-pot` run on build/; this plugin's template is made from src/ by `npm run i18n`
 *   (languages/smtp-port-helper.pot, shipped in the zip) and keeps every translators' comment.
 */
const defaultConfig = require( '@wordpress/scripts/config/webpack.config' );

// wp-scripts' own minimizer (terser-webpack-plugin), with its options but for the comments.
const [ terser ] = defaultConfig.optimization.minimizer;
const TerserPlugin = terser.constructor;

module.exports = {
	...defaultConfig,
	output: { ...defaultConfig.output, publicPath: '' },
	optimization: {
		...defaultConfig.optimization,
		minimizer: [
			new TerserPlugin( {
				parallel: true,
				terserOptions: {
					output: { comments: false },
					compress: { passes: 2 },
					mangle: { reserved: [ '__', '_n', '_nx', '_x' ] },
				},
				extractComments: false,
			} ),
		],
	},
};
