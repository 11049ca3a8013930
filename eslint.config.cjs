const wordpress = require( '@wordpress/scripts/config/eslint.config.cjs' );

module.exports = [
	{
		ignores: [
			'build/**',
			'.run/**',
			'.cache/**',
			'artifacts/**',
			'vendor/**',
		],
	},
	...wordpress,
	{
		// TypeScript declares each parameter and its type; a @param line is written only where it
		// says something. The rule's autofix filled the sources with empty `@param root0.x` lines.
		files: [ '**/*.ts', '**/*.tsx' ],
		rules: { 'jsdoc/require-param': 'off' },
	},
	{
		// Command-line scripts report on the console.
		files: [
			'env/**/*.js',
			'tests/smoke/**/*.js',
			'tests/load/**/*.js',
			'tests/support/**/*.js',
			'tests/package/**/*.js',
			'tests/bench/**/*.js',
			'tests/php/servers/**/*.js',
			'tests/oauth/**/*.js',
		],
		rules: { 'no-console': 'off' },
	},
];
