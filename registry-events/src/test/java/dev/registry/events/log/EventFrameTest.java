package dev.registry.events.log;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registry.events.SampleEvents;
import dev.registry.events.event.RegistryEvent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The frame every log stores an event in: it round-trips, and no changed bit ever reads as an event. */
class EventFrameTest {

    private final EventCodec codec = new EventCodec();

    @Test
    void everyEventTypeRoundTripsWithItsWriter() {
        EventFrame frame = new EventFrame();
        for (RegistryEvent event : SampleEvents.oneOfEach()) {
            EncodedEvent encoded = codec.encode(event);
            byte[] bytes = EventFrame.encode(encoded, 0x1234_abcd, 77);
            frame.read(bytes, 0, bytes.length, 77);
            assertThat(frame.writer(), is(0x1234_abcd));
            assertThat(frame.type(), is(encoded.type()));
            assertThat(frame.version(), is(encoded.version()));
            assertThat(frame.timeMicros(), is(encoded.timeMicros()));
            assertThat(frame.encoded().payload(), is(encoded.payload()));
            assertThat(codec.decode(frame), is(event));
        }
    }

    @Test
    void aFrameReadsAtAnOffsetInALargerArray() {
        EncodedEvent encoded = codec.encode(SampleEvents.oneOfEach().get(5));
        byte[] frame = EventFrame.encode(encoded, 1, 0);
        byte[] padded = new byte[frame.length + 20];
        System.arraycopy(frame, 0, padded, 7, frame.length);
        assertThat(
                codec.decode(new EventFrame().read(padded, 7, frame.length, 0)),
                is(SampleEvents.oneOfEach().get(5)));
    }

    @Test
    void everySingleBitFlipIsCaught() {
        for (RegistryEvent event : SampleEvents.oneOfEach()) {
            byte[] frame = EventFrame.encode(codec.encode(event), 42, 1000);
            for (int bit = 0; bit < frame.length * 8; bit++) {
                byte[] flipped = frame.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                DamagedEventException damage = assertThrows(
                        DamagedEventException.class, () -> new EventFrame().read(flipped, 0, flipped.length, 1000));
                assertThat(damage.getMessage(), containsString("checksum mismatch"));
            }
        }
    }

    @Test
    void aFrameReadAtAnotherPositionThanItsOwnFailsTheCheck() {
        byte[] frame = EventFrame.encode(codec.encode(SampleEvents.oneOfEach().get(1)), 42, 1000);
        assertThrows(DamagedEventException.class, () -> new EventFrame().read(frame, 0, frame.length, 1001));
    }

    @Test
    void cutFramesAndStrayBytesAreCaught() {
        byte[] frame = EventFrame.encode(codec.encode(SampleEvents.oneOfEach().get(1)), 42, 5);
        for (int length = 0; length < frame.length; length++) {
            byte[] cut = Arrays.copyOf(frame, length);
            assertThrows(DamagedEventException.class, () -> new EventFrame().read(cut, 0, cut.length, 5));
        }
        byte[] longer = Arrays.copyOf(frame, frame.length + 1);
        assertThrows(DamagedEventException.class, () -> new EventFrame().read(longer, 0, longer.length, 5));
        byte[] zeros = new byte[frame.length];
        assertThrows(DamagedEventException.class, () -> new EventFrame().read(zeros, 0, zeros.length, 5));
    }

    @Test
    void aFrameOfAFormatThisBuildDoesNotKnowIsRefusedByName() {
        byte[] frame = EventFrame.encode(codec.encode(SampleEvents.oneOfEach().get(1)), 42, 5);
        frame[0] = (byte) 0xE2;
        byte[] resealed = reseal(frame, 5);
        DamagedEventException refused =
                assertThrows(DamagedEventException.class, () -> new EventFrame().read(resealed, 0, resealed.length, 5));
        assertThat(refused.getMessage(), containsString("unknown frame format byte e2"));
    }

    @Test
    void aLocatedDamageNamesItsIndexAndFile() {
        DamagedEventException located =
                new DamagedEventException("checksum mismatch (stored 1, computed 2)").at(123, "20261128F.cq4");
        assertThat(located.getMessage(), is("checksum mismatch (stored 1, computed 2) at index 123 in 20261128F.cq4"));
        assertThat(located.index(), is(123L));
    }

    /** A new checksum over a frame changed on purpose. */
    private static byte[] reseal(byte[] frame, long seed) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(java.nio.ByteBuffer.allocate(8).putLong(seed).array());
        crc.update(frame, 0, frame.length - 4);
        java.nio.ByteBuffer.wrap(frame, frame.length - 4, 4).putInt((int) crc.getValue());
        return frame;
    }
}
