/** Drawing on Odoo's signature pad in a tour: pointer events as a finger on a touch screen sends them. */

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function drawSignature(canvas) {
    const box = canvas.getBoundingClientRect();
    const point = (t) => ({
        clientX: box.left + box.width * (0.1 + 0.8 * t),
        clientY: box.top + box.height * (0.55 - 0.3 * Math.sin(t * 4 * Math.PI) * (1 - t / 2)),
    });
    const event = (type, t) =>
        new PointerEvent(type, {
            ...point(t),
            bubbles: true,
            cancelable: true,
            pointerId: 1,
            pointerType: "touch",
            isPrimary: true,
            buttons: type === "pointerup" ? 0 : 1,
            pressure: type === "pointerup" ? 0 : 0.5,
        });
    canvas.dispatchEvent(event("pointerdown", 0));
    for (let step = 1; step <= 30; step++) {
        await pause(20); // the pad draws at most every 16 ms
        canvas.dispatchEvent(event("pointermove", step / 30));
    }
    canvas.ownerDocument.dispatchEvent(event("pointerup", 1));
}
