/**
 * PortCheck as the settings page gives it its port test state (src/components/PortCheck*.test.tsx).
 */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComponentProps } from 'react';

import { PortCheck } from '../../src/components/PortCheck';
import { usePortTest } from '../../src/hooks/use-port-test';

export type CheckProps = Omit< ComponentProps< typeof PortCheck >, 'portTest' >;

/**
 * PortCheck with the page's port test state, as the settings page gives it.
 * @param props The check's props.
 */
export function Harness( props: CheckProps ) {
	return <PortCheck portTest={ usePortTest() } { ...props } />;
}

/**
 * Renders the check and clicks "Test ports"; `rerender` changes what the form holds afterwards.
 * @param props What the form holds (a host and no login unless given).
 */
export async function renderAndTest( props: Partial< CheckProps > = {} ) {
	const all: CheckProps = {
		host: 'smtp.example.com',
		login: null,
		onApply: jest.fn(),
		announce: jest.fn(),
		...props,
	};
	const user = userEvent.setup();
	const view = render( <Harness { ...all } /> );
	await user.click( screen.getByRole( 'button', { name: 'Test ports' } ) );
	return {
		user,
		props: all,
		rerender: ( changes: Partial< CheckProps > ) =>
			view.rerender( <Harness { ...all } { ...changes } /> ),
	};
}
