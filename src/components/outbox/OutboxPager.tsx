import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

/** Messages shown at once; more are on further pages. */
export const PER_PAGE = 100;

/**
 * The messages of one page, the page clamped to the pages there are (a page emptied by
 * deleting its last rows falls back to the one before).
 * @param items All messages, oldest first.
 * @param page  The page asked for, from 1.
 */
export function pageOf< T >( items: T[], page: number ) {
	const pages = Math.max( 1, Math.ceil( items.length / PER_PAGE ) );
	const current = Math.min( Math.max( 1, page ), pages );
	return {
		items: items.slice( ( current - 1 ) * PER_PAGE, current * PER_PAGE ),
		page: current,
		pages,
	};
}

/**
 * Previous and next page, shown only when the outbox holds more than one page.
 */
export function OutboxPager( {
	page,
	pages,
	onChange,
}: {
	page: number;
	pages: number;
	onChange: ( page: number ) => void;
} ) {
	if ( pages < 2 ) {
		return null;
	}
	return (
		<nav
			className="smtp-port-helper__outbox-pager"
			aria-label={ __( 'Outbox pages', 'smtp-port-helper' ) }
		>
			<Button
				variant="secondary"
				size="compact"
				accessibleWhenDisabled
				disabled={ page <= 1 }
				onClick={ () => onChange( page - 1 ) }
			>
				{ __( 'Previous page', 'smtp-port-helper' ) }
			</Button>
			<span aria-live="polite">
				{ sprintf(
					/* translators: 1: the page shown; 2: the number of pages */
					__( 'Page %1$d of %2$d', 'smtp-port-helper' ),
					page,
					pages
				) }
			</span>
			<Button
				variant="secondary"
				size="compact"
				accessibleWhenDisabled
				disabled={ page >= pages }
				onClick={ () => onChange( page + 1 ) }
			>
				{ __( 'Next page', 'smtp-port-helper' ) }
			</Button>
		</nav>
	);
}
