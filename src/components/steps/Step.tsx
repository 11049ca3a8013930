import { Card, CardBody, CardHeader } from '@wordpress/components';
import type { ReactNode } from 'react';

/**
 * One numbered step of the page: a card with the step's title.
 */
export function Step( {
	title,
	children,
}: {
	title: string;
	children: ReactNode;
} ) {
	return (
		<Card className="smtp-port-helper__step">
			<CardHeader>
				<h2 className="smtp-port-helper__card-title">{ title }</h2>
			</CardHeader>
			<CardBody>{ children }</CardBody>
		</Card>
	);
}
