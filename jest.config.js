const base = require( '@wordpress/scripts/config/jest-unit.config.js' );
const babelTransform =
	require.resolve( '@wordpress/scripts/config/babel-transform' );

module.exports = {
	...base,
	rootDir: __dirname,
	// Inside the checkout: the default (/tmp/jest_*) belongs to whoever ran jest first.
	cacheDirectory: '<rootDir>/.cache/jest',
	// A limit, not a speed target: the 5 s default fails full-page renders on a busy shared machine.
	testTimeout: 20_000,
	testMatch: [
		'<rootDir>/src/**/*.test.[jt]s?(x)',
		'<rootDir>/tests/js/**/*.test.[jt]s?(x)',
	],
	setupFilesAfterEnv: [
		...( base.setupFilesAfterEnv || [] ),
		'<rootDir>/tests/js/setup.ts',
	],
	// @wordpress/components 41 pulls ESM-only packages (uuid 14, @wordpress/theme *.mjs):
	// transform .mjs too, and do not skip those packages inside node_modules.
	transform: { '\\.m?[jt]sx?$': babelTransform },
	transformIgnorePatterns: [
		'/node_modules/(?!(@wordpress/[^/]+/node_modules/)*(uuid|@wordpress/theme)/)',
	],
};
