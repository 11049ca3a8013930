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
